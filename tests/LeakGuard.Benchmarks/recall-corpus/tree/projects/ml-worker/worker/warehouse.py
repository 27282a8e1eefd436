"""Reads features from the warehouse replica."""
import os

import psycopg2

REPLICA_DSN = "host=wh-replica.acme.internal port=5432 dbname=features user=ml_reader password=MlRead-Wh-8812 sslmode=require"


def connect():
    return psycopg2.connect(REPLICA_DSN)


def connect_from_env():
    return psycopg2.connect(
        "host=%s dbname=features user=%s password=%s"
        % (os.environ["WH_HOST"], os.environ["WH_USER"], os.environ["WH_PASSWORD"])
    )
