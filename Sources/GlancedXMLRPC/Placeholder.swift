// GlancedXMLRPC
