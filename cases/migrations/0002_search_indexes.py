"""Indexes for searching a million cases, on PostgreSQL only.

SQLite has no trigram or full-text GIN index; there the search falls back to
a plain scan, which is fine at the sizes SQLite is used for.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.functions import Upper

CASE_FTS = GinIndex(SearchVector("description", config="english"), name="case_description_fts")
CUSTOMER_NAME = GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="customer_name_trgm")
CUSTOMER_EMAIL = GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="customer_email_trgm")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.add_index(apps.get_model("cases", "Case"), CASE_FTS)
    customer = apps.get_model("customers", "Customer")
    schema_editor.add_index(customer, CUSTOMER_NAME)
    schema_editor.add_index(customer, CUSTOMER_EMAIL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("cases", "Case"), CASE_FTS)
    customer = apps.get_model("customers", "Customer")
    schema_editor.remove_index(customer, CUSTOMER_NAME)
    schema_editor.remove_index(customer, CUSTOMER_EMAIL)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("customers", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
