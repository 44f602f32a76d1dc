"""A Wagtail peer for ``make bench``: a stock Wagtail news site over the same text, loaded the same way.

``peer.run()`` (our interpreter) builds ``bench/.wagtail-venv`` once, fills the ``wagtail_bench`` database
through ``loader`` and loads the site under gunicorn; everything else here runs only inside that venv.
"""
