# The maillage command in a container (used by docker-compose.yml). Python 3.11 as on the
# project's machines; the Neo4j driver is a dependency of the package.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY maillage ./maillage
RUN pip install . \
    && python -c "import maillage.graph.neo4j_store, maillage.queries; assert maillage.queries.catalogue()"
RUN useradd --create-home maillage && mkdir -p /data && chown maillage /data
USER maillage
VOLUME /data
ENTRYPOINT ["maillage"]
CMD ["--help"]
