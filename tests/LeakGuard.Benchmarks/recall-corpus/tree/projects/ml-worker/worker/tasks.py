import os

import boto3
import psycopg2
import requests
from celery import Celery

app = Celery("worker", broker="redis://:Celery-Broker-7@redis.acme.internal:6379/0")

ANTHROPIC_KEY = "sk-ant-api03-LGrcocv12rr_VGmX9ZK1o056RZvxgS7vPUYAfVPVh-xJPwNspFwtLVJ47RDCnDn4YUe4Ntbfz7MNcnT_yc_mrahlQC2B6AA"
GROQ_KEY = os.environ.get("GROQ_API_KEY")
HF_TOKEN = os.getenv("HF_TOKEN", "")

s3 = boto3.client(
    "s3",
    aws_access_key_id="AKIALGRCSO57HJ3HRVAI",
    aws_secret_access_key="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",
)


def connect():
    return psycopg2.connect(host="warehouse.acme.internal", user="ml", password="Ml-Warehouse-21", dbname="ml")


def fetch_report(session_token):
    headers = {"Authorization": f"Bearer {session_token}"}
    return requests.get("https://reports.acme.io/api/v2/daily", headers=headers, auth=("reporter", "Rep0rter!2024"))


def notify(text):
    requests.post("https://hooks.slack.com/services/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", json={"text": text})


def pinecone():
    from pinecone import Pinecone
    return Pinecone(api_key="pcsk_2YmmMM_LGrcv6zKE86xnBWGu2VS7wJ1jKBEBUdfFQumgji4j6Lw2q6dUvUXQJCwoXolYAo")


password_prompt = "Enter your password: "
token_type = "bearer"
