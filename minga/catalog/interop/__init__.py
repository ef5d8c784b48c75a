"""Interoperability of the catalog with the tools that already exist around open data:

- ``ckan``: a read subset of CKAN's Action API (``/api/3/action/``) in CKAN's response shapes,
  so ckanapi, ckanr and harvesters such as the national portal's work unchanged;
- ``dcat``: the catalog and each dataset in DCAT-AP 3 (JSON-LD and Turtle), the catalog paged
  with Hydra (``/datos/dcat/``);
- ``datapackage``: a Frictionless Data Package per dataset, with a Table Schema for the
  resources loaded in the datastore.

Everything here is read-only and public, and only ever shows published datasets: of the
government of the request (``common.published_datasets``), or for the CKAN API on the platform
host, of every government with its catalog switched on, names prefixed with the government's
slug (``ckan_site``)."""
