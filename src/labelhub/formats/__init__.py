"""Format modules (importers and exporters), one per format, registered in ``registry``."""
