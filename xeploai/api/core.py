"""The API object: bearer-token authentication, one error shape for every error, paging and
the readable labels of codes.

Every error answers `{"code", "message", "fields"}`: `message` is in the request's language
(Accept-Language: vi by default, or en), `fields` maps a field of the request to its messages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from xeploai.api.services import token_user
from xeploai.errors import AppError
from xeploai.web.fields import MAX_ID

MAX_PAGE = 200


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the request acts as the token's user, with exactly
    that user's grants (the access module decides everything after this)."""

    openapi_description = "A personal API token, created on the page “API tokens”."

    def authenticate(self, request, token):
        user = token_user(token)
        if user is None:
            return None
        request.user = user
        return user


class ErrorOut(Schema):
    code: str = Field(description="unauthorized, forbidden, not_found, invalid, conflict, refused")
    message: str
    fields: dict[str, list[str]] = Field(
        description="The request's fields and what is wrong with each."
    )


class Conflict(Exception):
    """A write based on a version somebody else has already saved over."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(Exception):
    """Field errors found after the request's shape was accepted (the forms' own checks)."""

    def __init__(self, fields: dict[str, list[str]]):
        super().__init__(fields)
        self.fields = fields


def errors(ok: int, schema, *more: int) -> dict:
    """The responses of an operation: its success and the error shape for the rest."""
    codes = {400, 401, 403, 404, 422, *more}
    return {ok: schema, **dict.fromkeys(sorted(codes), ErrorOut)}


api = NinjaAPI(
    title="xeploai",
    version="1",
    description=(
        "The party's annual review and quality classification. Authenticate with a personal "
        "token: `Authorization: Bearer <token>`. Messages follow `Accept-Language` "
        "(vi by default, en)."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


def _answer(request, status: int, code: str, message: str, fields=None):
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


MESSAGES = {
    "missing": _lazy("fill this in."),
    "extra_forbidden": _lazy("this field is not known."),
    "int_parsing": _lazy("write a whole number, such as 12."),
    "int_type": _lazy("write a whole number, such as 12."),
    "int_from_float": _lazy("write a whole number, such as 12."),
    "string_type": _lazy("write text."),
    "json_invalid": _lazy("the body is not valid JSON."),
    "model_type": _lazy("write an object."),
    "dict_type": _lazy("write an object."),
    "model_attributes_type": _lazy("write an object."),
}


def _message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("less_than_equal", "less_than"):
        return _("at most %(max)s.") % {"max": ctx.get("le", ctx.get("lt"))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("at least %(min)s.") % {"min": ctx.get("ge", ctx.get("gt"))}
    if kind == "string_too_long":
        return _("at most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    if kind in MESSAGES:
        return str(MESSAGES[kind])
    return _("this value is not understood.")


def _field(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts and parts[0] in ("query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field(error.get("loc", ())), []).append(_message(error))
    return _answer(request, 422, "invalid", _("Some fields are not valid."), fields)


@api.exception_handler(Invalid)
def _invalid_fields(request, exc):
    return _answer(request, 422, "invalid", _("Some fields are not valid."), exc.fields)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _answer(
        request, 401, "unauthorized", _("Send a valid API token: Authorization: Bearer <token>.")
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _answer(request, 403, "forbidden", _("Your role does not allow this."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _answer(request, 404, "not_found", _("Not found, or not yours to see."))


@api.exception_handler(Conflict)
def _conflict(request, exc):
    return _answer(request, 409, "conflict", exc.message)


@api.exception_handler(AppError)
def _refused(request, exc):
    fields = {exc.field: [exc.message]} if exc.field else {}
    return _answer(request, 422, "refused", exc.message, fields)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        message = str(MESSAGES["json_invalid"])
        return _answer(
            request, 400, "invalid", _("Some fields are not valid."), {"body": [message]}
        )
    return _answer(request, exc.status_code, "error", str(exc))


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_ID)


def page(items, query: PageQuery) -> dict:
    """A slice of a queryset (or list) and how many there are in all: two queries."""
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    return {
        "count": count,
        "limit": query.limit,
        "offset": query.offset,
        "items": list(items[query.offset : query.offset + query.limit]),
    }


class Coded(Schema):
    """A level, step or kind: the stable code and its name in the request's language."""

    code: str
    label: str


def coded(choices, value) -> dict | None:
    if not value:
        return None
    return {"code": str(value), "label": str(dict(choices.choices).get(value, value))}
