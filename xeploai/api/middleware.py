from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header


class ApiLanguageMiddleware:
    """The API follows Accept-Language (vi by default, en): a program has no language cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        language = "vi"
        header = request.headers.get("Accept-Language", "")[:200]
        for code, _q in parse_accept_lang_header(header):
            if code.startswith(("vi", "en")):
                language = code[:2]
                break
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if response.status_code == 405:
            response = method_not_allowed(response)
        response.headers["Content-Language"] = language
        return response


def method_not_allowed(response) -> JsonResponse:
    """ninja answers a method a path does not have in plain text; the API's one error shape."""
    answer = JsonResponse(
        {
            "code": "method_not_allowed",
            "message": _("This method is not offered here."),
            "fields": {},
        },
        status=405,
    )
    answer.headers["Allow"] = response.headers.get("Allow", "")
    return answer
