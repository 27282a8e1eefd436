"""Thin clients for the services the hub talks to."""
import os

import httpx

DATABRICKS_TOKEN = "dapi42929a566b2e9a040212647e06756cdc"
PULUMI_TOKEN = os.environ["PULUMI_ACCESS_TOKEN"]
LINEAR_KEY = "lin_api_LGrcKzpFbpbGeqqY8DffKunTq71rYwJwRbwv5A0Q"
NOTION_KEY = "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"
COHERE_KEY = "LGrcTyCCIY6YzSQP6hFD16cb0H65f8VzSSazxqmt"
MISTRAL_KEY = "LGrc9m5Rko3bNRxD63LyPHwsuuac3NKJ"
XAI_KEY = "xai-LGrc0Ka0asaHWyBZiE6kHO8Rl9OAbx2ji0L6dNLJ7ih3PgmZszTqaeFsaKjgdbQKDCeq8eYGzqUSZJBz"
TAVILY_KEY = "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"
FIRECRAWL_KEY = "fc-535da27f3bc21caa36d3ad535cc66b79"
OPENROUTER_KEY = "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"


def linear():
    return httpx.Client(base_url="https://api.linear.app", headers={"Authorization": LINEAR_KEY})


def grafana():
    return httpx.Client(base_url="https://grafana.acme.io", headers={"Authorization": "Bearer glsa_LGrcBrhwiHSCf3LW0xupsq01jQPJz6za_de92b0f9"})


def jira():
    return httpx.Client(base_url="https://acme.atlassian.net", auth=("ops@acme.io", "ATATT3xFfGF0LGrcK41gylT4A3LqC6nru2otwGrvUMdD9A1fCjgOs4tuQyu_pgjY3ePQTcBZW__mDGIczZsl_m-WumzP8_F-sxZg-Vm6zXCUQGTwUrOq09egeogEBEkPkrEhHX3sWTZh8MfunJ6sB5y0Ud9bToh_pcB0k6xFSbmeSL0uKeEzLXCnfDp3pl-m=0E5AC6BA"))


def okta():
    return httpx.Client(base_url="https://acme.okta.com", headers={"Authorization": "SSWS 00LGrcAO7QqGSnQ9e561Ji1HIDhPL4w3-Xvm0ZTn9I"})


def basic(user, password):
    return httpx.BasicAuth(user, password)


EXAMPLE_TOKEN = "ghp_" + "x" * 36
TOKEN_PATTERN = r"ghp_[A-Za-z0-9]{36}"
