from django.http import HttpResponse


def bare(request):
    """bench/views.py's bare view, word for word: what Django alone serves with this project's middleware."""
    return HttpResponse("Hello from a bare Django view.")
