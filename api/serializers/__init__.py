"""One module per resource of the API: each turns model instances into the plain data of its
schema (api/schemas.py), both languages side by side (``{"de": …, "fr": …}``). A field added to a
model is added to its resource's module and schema, nowhere else."""
