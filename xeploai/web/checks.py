"""`xeploai check --deploy`: what Django's own checks cannot know about how xeploai is served."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def https_behind_the_proxy(app_configs, **kwargs):
    # The README serves xeploai behind a TLS proxy: without the proxy's https header Django
    # sees every request as plain http and redirects it to itself forever.
    if settings.SECURE_SSL_REDIRECT and not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return [
            Warning(
                "SECURE_SSL_REDIRECT is on but Django is not told which requests came over https.",
                hint=(
                    "Behind the TLS proxy set XEPLOAI_PROXY_SSL_HEADER=X-Forwarded-Proto (and have "
                    "the proxy set that header), or every page redirects to itself."
                ),
                id="xeploai.W001",
            )
        ]
    return []
