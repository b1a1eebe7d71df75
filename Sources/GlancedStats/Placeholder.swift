// GlancedStats
