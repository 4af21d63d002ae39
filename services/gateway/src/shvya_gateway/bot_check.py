"""Server-side verification of a form's bot-check token (Cloudflare Turnstile, hCaptcha, reCAPTCHA).

The three speak one protocol: POST `secret`, `response` (the token the widget put in the
form) and `remoteip` as a form to the provider's siteverify endpoint, which answers JSON
with `success`.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from shvya_gateway.settings import GatewaySettings

# provider: (siteverify endpoint, the form field its widget fills with the token)
PROVIDERS = {
    "turnstile": ("https://challenges.cloudflare.com/turnstile/v0/siteverify", "cf-turnstile-response"),
    "hcaptcha": ("https://api.hcaptcha.com/siteverify", "h-captcha-response"),
    "recaptcha": ("https://www.google.com/recaptcha/api/siteverify", "g-recaptcha-response"),
}


class BotCheckUnavailable(Exception):
    """The provider could not be asked; the form can be posted again."""


@dataclass
class BotCheck:
    field: str
    _url: str
    _secret: str
    _client: httpx.AsyncClient

    @classmethod
    def open(cls, settings: GatewaySettings) -> BotCheck | None:
        if not settings.bot_check or settings.bot_check_secret is None:
            return None
        url, field = PROVIDERS[settings.bot_check]
        return cls(
            field=field,
            _url=settings.bot_check_verify_url or url,
            _secret=settings.bot_check_secret.get_secret_value(),
            _client=httpx.AsyncClient(timeout=settings.bot_check_timeout_seconds),
        )

    async def passed(self, token: str, remote_ip: str | None) -> bool:
        data = {"secret": self._secret, "response": token}
        if remote_ip:
            data["remoteip"] = remote_ip
        try:
            response = await self._client.post(self._url, data=data)
        except httpx.HTTPError as exc:
            raise BotCheckUnavailable(str(exc) or type(exc).__name__) from None
        if response.status_code != 200:
            raise BotCheckUnavailable(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise BotCheckUnavailable("the answer is not JSON") from None
        return isinstance(answer, dict) and answer.get("success") is True

    async def close(self) -> None:
        await self._client.aclose()
