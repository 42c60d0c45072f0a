from xeploai.accounts.access import root_units_for_user


def navigation(request):
    """Whether to offer the member search: only to users who can see more than themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"may_browse": bool(root_units_for_user(user))}
