"""Templates (templates/) and static files (static/) of the web interface, installed as the package
`archive.web.assets`; the code that serves them is src/archive/web (`archive.web`)."""
