// GlancedHTTP
