"""The checker page in the browser (``symnet page``): :mod:`symnet.web.site` writes it, and in
the browser :mod:`symnet.web.browser` answers it.  Nothing is imported here, so that the
browser's side imports only what it uses."""
