using System.Net;
using System.Net.Sockets;

namespace LeakGuard.Service.Tests.Support;

internal static class FreePort
{
    /// <summary>A loopback port nobody listens on right now (the OS picks it, then it is released).</summary>
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
