"""Pages: number formatting, the Jinja2 sandbox, and writing build/docs and build/site."""
