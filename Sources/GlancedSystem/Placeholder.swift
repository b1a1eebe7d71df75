// GlancedSystem
