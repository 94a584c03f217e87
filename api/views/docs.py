"""The schema and its browsable docs: Swagger UI from drf-spectacular-sidecar (our own static
files, no CDN), its start-up script a file of its own (the CSP allows no inline script), and a
problem for an address under /api/ that names nothing."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView


class SchemaView(SpectacularAPIView):
    """GET /api/schema/: the OpenAPI 3.1 schema (YAML, or JSON with ?format=json)."""


class DocsView(SpectacularSwaggerSplitView):
    """GET /api/docs/: Swagger UI over the schema, served from our own static files."""

    template_name = "api/docs.html"
    url_name = "api:schema"


class NotFoundView(APIView):
    """Any other address under /api/: a 404 problem, as JSON, not the HTML page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    renderer_classes = [JSONRenderer]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()
