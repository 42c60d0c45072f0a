from xeploai.accounts.access import manages_accounts, root_units_for_user


def navigation(request):
    """Whether to offer the member search: only to users who can see more than themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "may_browse": bool(root_units_for_user(user)),
        "may_manage_users": manages_accounts(user),
    }
