using Microsoft.Extensions.Options;
using EmpowerBot.Conversation;
using EmpowerBot.Hosting;

namespace EmpowerBot.Channels.BotFramework;

public static class BotFrameworkExtensions
{
    /// <summary>Registers the Activity protocol: inbound auth, mapping, rendering and the connector client.</summary>
    public static IHostApplicationBuilder AddBotFramework(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // The app registration keys at the configuration root (MicrosoftAppId …), the rest under "BotFramework".
        services.AddSettings<BotFrameworkOptions, BotFrameworkOptionsValidator>(section: null)
            .Bind(builder.Configuration)
            .Bind(builder.Configuration.GetSection("BotFramework"));
        services.AddSingleton<IChannelAuthenticator, BotFrameworkAuthenticator>();
        services.AddSingleton<IBotTokenProvider, BotTokenProvider>();
        services.AddSingleton<ActivityMapper>();
        services.AddSingleton<TeamsRoster>();
        services.AddSingleton<ActivityRenderer>();
        services.AddSingleton<ReplySender>();
        services.AddSingleton<IProactiveChannel, ProactiveChannel>();
        services.AddHttpClient(BotFrameworkAuthenticator.MetadataHttpClientName);
        services.AddSingleton<ConnectorClient>();
        services.AddHttpClient(ConnectorClient.HttpClientName)
            // One breaker per connector authority: each region (smba.trafficmanager.net/amer, /emea…) fails on its own.
            .AddOutboundResilience<ConnectorClient>("Bot Connector", perAuthority: true);
        return builder;
    }

    /// <summary>
    /// Local development mode (no MicrosoftAppId) accepts unauthenticated requests: say so loudly, and never
    /// allow it in Production.
    /// </summary>
    public static void GuardDevelopmentMode(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
        if (!options.DevelopmentMode) return;
        if (app.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "MicrosoftAppId is empty, which is local development mode (no authentication). " +
                "Refusing to start in the Production environment: set MicrosoftAppId and MicrosoftAppPassword, " +
                "or ASPNETCORE_ENVIRONMENT=Development for a local try-out.");
        }
        app.Logger.LogWarning(
            "LOCAL DEVELOPMENT MODE: MicrosoftAppId is empty, so /api/messages accepts requests WITHOUT authentication " +
            "and replies carry no token. Use it only on your own machine (e.g. with the Agents Playground).");
    }
}
