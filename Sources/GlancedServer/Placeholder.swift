// GlancedServer
