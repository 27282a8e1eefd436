"""Mails the nightly model report to the team. Run from cron on the worker host."""
import os
import smtplib
from email.message import EmailMessage

REPORT = "/var/lib/ml-worker/report.html"


def send(report_path: str = REPORT) -> None:
    msg = EmailMessage()
    msg["Subject"] = "Nightly model report"
    msg["From"] = "ml-reports@acme.io"
    msg["To"] = "ml-team@acme.io"
    with open(report_path, encoding="utf-8") as f:
        msg.add_alternative(f.read(), subtype="html")
    with smtplib.SMTP("smtp.acme.io", 587) as server:
        server.starttls()
        server.login("ml-reports@acme.io", "Mlr-Smtp-2024-q3")
        server.send_message(msg)


def send_with_env(report_path: str = REPORT) -> None:
    with smtplib.SMTP("smtp.acme.io", 587) as server:
        server.starttls()
        server.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])


if __name__ == "__main__":
    send()
