"""An example of every request body the API reads, by the body's schema name, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

DEMO_TEMPLATE_ID = "5a16a1fa-277a-446e-a0da-f835a8fe2135"
DEMO_SEQUENCE_ID = "0b9e4c1d-3f7a-4c2e-9d51-6a8f2e7b4c10"

EXAMPLES: dict[str, dict[str, Any]] = {
    "InboundMessage": {
        "phone_number": "+919876543210",
        "contact_name": "Rahul Kumar",
        "message_text": "Interested in Digital Marketing course",
        "channel": "email",
        "email": "rahul@example.com",
    },
    "ReplayRequest": {"max_jobs": 10},
    "KnowledgeDocumentIn": {
        "title": "Digital Marketing Pro: fees",
        "content": "The fee is Rs 24,999, or Rs 2,199 a month on a 12-month EMI.",
        "tags": ["fees", "digital-marketing"],
    },
    "KnowledgeSynonymsIn": {"synonyms": {"cost": "fee", "tuition": "fee", "ml": "machine learning"}},
    "AiModelPatch": {"provider": "openai", "model": "gpt-4o-mini", "temperature": 0.3},
    "PromptIn": {"system_prompt": "You are the admissions counsellor of Shvya Demo Academy."},
    "ResolveQuestionIn": {"resolution": "Added the placement figures to the knowledge base."},
    "ResumeRequest": {"reason": "Meta lifted the restriction on the number"},
    "ClockChange": {"advance_seconds": 86400},
    "CompanySettingsChange": {"followup_delay_seconds": 86400, "quiet_hours_enabled": False},
    "TemplateBody": {
        "name": "lead_intro_v1",
        "channel": "whatsapp_cloud",
        "language": "en_US",
        "body": "Hi {first_name}, thanks for asking about {course}. Reply here with any question.",
        "variables": ["first_name", "course"],
    },
    "SequenceBody": {
        "name": "Digital Marketing nurture",
        "active": True,
        "trigger": {"course": "Digital Marketing", "channels": ["email"]},
        "steps": [
            {"channel": "email", "template_id": DEMO_TEMPLATE_ID, "delay_seconds": 86400},
            {
                "channel": "email",
                "template_id": DEMO_TEMPLATE_ID,
                "delay_seconds": 259200,
                "stop_conditions": ["replied"],
            },
        ],
    },
    "EnrolBody": {"sequence_id": DEMO_SEQUENCE_ID},
    "StopBody": {"reason": "the student asked for a call instead"},
    "SubscriptionBody": {"url": "https://crm.example.com/hooks/shvya", "events": ["lead.hot", "hand_off"]},
    "ConsentBody": {
        "action": "opt_in",
        "channel": "whatsapp_web",
        "source": "website_form",
        "text_shown": "Yes, message me on WhatsApp about my enquiry.",
    },
}
