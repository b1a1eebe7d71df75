/// The one place plugins are registered: a new plugin is a file in `Plugins/` and a line here.
///
/// The order is the order of `getAllPlugins`, `getAll` and `getAllLimits` (which the 2.0 client lines
/// up by index), so it never changes at run time. Each generation lists only its own plugins
/// (``StatsPlugin/generations``): the 2.x list is the 21 plugins of API.md.
package enum PluginRegistry {
    /// Every plugin, in wire order.
    package static var all: [any StatsPlugin.Type] {
        [
            AlertPlugin.self,
            BatPercentPlugin.self,
            CorePlugin.self,
            CPUPlugin.self,
            DiskIOPlugin.self,
            FsPlugin.self,
            HddtempPlugin.self,
            HelpPlugin.self,
            LoadPlugin.self,
            MemPlugin.self,
            MemSwapPlugin.self,
            MonitorPlugin.self,
            NetworkPlugin.self,
            NowPlugin.self,
            PerCPUPlugin.self,
            PortsPlugin.self,
            ProcessCountPlugin.self,
            ProcessListPlugin.self,
            PsutilVersionPlugin.self,
            QuickLookPlugin.self,
            SensorsPlugin.self,
            SystemPlugin.self,
            UptimePlugin.self,
            NodePlugin.self,
            PrometheusPlugin.self,
        ]
    }

    /// The wire names of the Glances 2.x plugins (API.md's 21), in order.
    package static var names: [String] { names(in: .v2) }

    /// The wire names of the plugins `generation` lists, in order (never a plugin Glances clients do not see).
    package static func names(in generation: GlancesGeneration) -> [String] {
        all.filter { $0.isGlancesPlugin && $0.generations.contains(generation) }.map { $0.name }
    }
}
