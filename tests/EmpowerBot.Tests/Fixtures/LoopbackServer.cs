using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>The web server behind each test double (connector, Slack, webhook, token issuer): 127.0.0.1, a free port.</summary>
internal static class LoopbackServer
{
    /// <summary>An app to map the double's routes on; quiet, and deaf to the bot's settings copied next to the tests.</summary>
    public static WebApplication Create()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The bot's appsettings.json is copied next to the tests; none of it (Urls, Kestrel endpoints) applies here.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        return builder.Build();
    }

    /// <summary>Starts the app; returns its address, such as http://127.0.0.1:41234, without a trailing slash.</summary>
    public static async Task<string> StartAsync(WebApplication app, CancellationToken ct = default)
    {
        await app.StartAsync(ct);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
    }
}
