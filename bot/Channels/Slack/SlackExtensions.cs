using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;
using EmpowerBot.Hosting;
using EmpowerBot.Outbox;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Channels.Slack;

public static class SlackExtensions
{
    /// <summary>
    /// Registers Slack: request verification, the queue and its background worker, the Web API client (in the shared
    /// resilience pipeline), Block Kit rendering from cards/slack/, the App Home and proactive messages. Without a
    /// signing secret and bot token everything is registered but idle, and the endpoints answer 404.
    /// </summary>
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<SlackOptions, SlackOptionsValidator>(SlackOptions.Section);
        services.AddSingleton(sp => new SlackTemplates(Path.Combine(sp.GetRequiredService<CardTemplates>().Folder, "slack")));
        services.AddSingleton<SlackButtonValues>();
        services.AddSingleton<BlockKitRenderer>();
        services.AddSingleton<SlackRequestVerifier>();
        services.AddSingleton<SlackInbox>();
        services.AddSingleton<SlackDirectory>();
        services.AddSingleton<SlackResponder>();
        services.AddSingleton<SlackHome>();
        services.AddSingleton<SlackTurns>();
        services.AddSingleton<SlackRoster>();
        services.AddSingleton<SlackJournal>();
        services.AddSingleton<IOutboxHandler>(sp => sp.GetRequiredService<SlackJournal>());
        services.AddHostedService<SlackWorker>();
        services.AddSingleton<IProactiveChannel, SlackProactiveChannel>();
        // A named client and a plain factory rather than a typed client: the same transient client on the factory's
        // handlers, without the expression-compiled activator (and System.Linq.Expressions) a typed client costs.
        services.AddTransient(sp => new SlackApiClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(SlackApiClient.HttpClientName), sp.GetRequiredService<IOptions<SlackOptions>>(),
            sp.GetRequiredService<ILogger<SlackApiClient>>()));
        services.AddHttpClient(SlackApiClient.HttpClientName)
            // The bot token travels in a header: never follow a redirect to somewhere else with it.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddOutboundResilience<SlackApiClient>("Slack");
        return builder;
    }
}
