"""Imports every module that declares background jobs, so the worker knows them all."""
import importlib

JOB_MODULES = ["app.services.search_index", "app.services.export", "app.services.mail"]


for _name in JOB_MODULES:
    importlib.import_module(_name)
