"""The web app: FastAPI with server-rendered Chinese pages (Jinja2) and a JSON API under /api/v1.

``app`` builds the application; ``auth``, ``security``, ``ratelimit`` and ``headers`` sign people
in and guard requests; ``permissions`` is the one place that says who may see and do what.
Pages are the ``pages_*`` modules with their ``routes`` (``routes/api.py`` is the API,
``api_schemas`` its models); ``templates`` and ``static`` hold what the browser gets, ``uploads``
checks attachments and imported files, ``loadtest`` drives the server for ``eduplan bench``.

It sits on top: it imports ``ledger``, ``calendar``, ``notify``, ``read``, ``understand`` and the
plan contract, and nothing below imports it (except ``ledger.accounts``, for password hashes).
"""
