"""Notifications fixtures: cases in a given clock state, a real local SMTP server (aiosmtpd), e-mail on."""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from daiban.approvals.models import ApprovalCase

# A Wednesday just before the National Day holiday: 5 working days later is Tuesday 2026-10-13.
TODAY = dt.date(2026, 9, 30)


def make_case(project, code: str, department, state: str, **extra) -> ApprovalCase:
    fields = {
        "item_code": code,
        "name": extra.pop("name", f"审批事项{code}"),
        "stage": "land_planning",
        "department": department,
        "department_name": department.name if department else "",
        "sla_state": state,
        "due_on": dt.date(2026, 9, 28),
        "overdue_days": 2 if state == "overdue" else 0,
    }
    return ApprovalCase.objects.create(project=project, **(fields | extra))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """An SMTP server's handler that keeps every message; refuses recipients whose address starts "refuse"."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port for the test; yields (controller, collector)."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, collector
    finally:
        # A test may have stopped it already (the server-down case).
        with contextlib.suppress(AssertionError):
            controller.stop()


@pytest.fixture
def mail_on(settings, smtp_server):
    """E-mail switched on, through Django's SMTP backend (not locmem) to the local server."""
    controller, collector = smtp_server
    settings.DAIBAN_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "代办系统 <daiban@example.gov.cn>"
    settings.DAIBAN_SITE_URL = "https://daiban.example.gov.cn"
    return controller, collector
