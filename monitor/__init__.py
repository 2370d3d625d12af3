"""The monitor wires connectors, classifiers, the database and alerts together."""
