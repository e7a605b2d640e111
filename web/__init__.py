"""Templates (templates/) and static files (static/) of the web interface, shipped as `archive.web`."""
