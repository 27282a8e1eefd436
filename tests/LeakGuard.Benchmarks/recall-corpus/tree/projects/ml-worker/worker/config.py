"""Worker settings: the environment wins, the defaults keep a laptop run working."""
import os

LOG_LEVEL = os.environ.get("WORKER_LOG_LEVEL", "INFO")
QUEUE_URL = os.getenv("WORKER_QUEUE_URL", "redis://localhost:6379/0")
OPENAI_MODEL = os.getenv("OPENAI_MODEL", "gpt-4o-mini")

# Left in from the migration to the secrets manager.
WEBHOOK_SECRET = os.environ.get("WORKER_WEBHOOK_SECRET", "LGrc7Yq2Lm9Wz4Rk8Tx3Vb6Nc1Pd")
DB_PASSWORD = os.getenv("WORKER_DB_PASSWORD", "Wk-Pg-2024!batch")
FEATURE_STORE_TOKEN = os.environ.get("FEATURE_STORE_TOKEN") or "lgrc5f3e9a1c7d2b8e4f6a0c9d3b7e1f5a2c"

# No default: the worker refuses to start without them.
S3_SECRET = os.environ.get("WORKER_S3_SECRET", "")
SIGNING_KEY = os.environ.get("WORKER_SIGNING_KEY", None)
API_TOKEN = os.getenv("WORKER_API_TOKEN", "change-me-in-production")
SESSION_SECRET = os.getenv("WORKER_SESSION_SECRET", "dev")
