/// The one place plugins are registered: a new plugin is a file in `Plugins/` and a line here.
///
/// The order is the order of `getAllPlugins`, `getAll` and `getAllLimits` (which the 2.0 client lines
/// up by index), so it never changes at run time.
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
            ProcessCountPlugin.self,
            ProcessListPlugin.self,
            PsutilVersionPlugin.self,
            SensorsPlugin.self,
            SystemPlugin.self,
            UptimePlugin.self,
            NodePlugin.self,
            PrometheusPlugin.self,
        ]
    }

    /// The wire names of the plugins Glances clients see, in order.
    package static var names: [String] { all.filter { $0.isGlancesPlugin }.map { $0.name } }
}
