"""The work behind each page, one module per area paired by name with ``web/routes/<area>.py``:
the route checks who asks and reads the form; its view gathers, checks and changes the ledger.

May import: the rest of web (permissions, templating…), and every stage below web.
"""
