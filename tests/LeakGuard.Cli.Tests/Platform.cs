// These tests drive Unix tools (setpriv, file modes) and run only where LeakGuard runs.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
