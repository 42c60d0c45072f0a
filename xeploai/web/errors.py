"""The answer to a request the input boundary refuses outright (a query string that is not
what the page asks for): 400, with what was wrong in the user's language."""

from django.shortcuts import render


def bad_request(request, form):
    return render(request, "400.html", {"problems": form.messages()}, status=400)
