from django.utils import translation
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
        response.headers["Content-Language"] = language
        return response
