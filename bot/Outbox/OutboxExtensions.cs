using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Outbox;

public static class OutboxExtensions
{
    /// <summary>
    /// Registers the outbox: writer, dispatcher (hosted), health, the signed webhook client and the billing webhook
    /// handler. Features add their own <see cref="IOutboxHandler"/> singletons.
    /// </summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<OutboxOptions, OutboxOptionsValidator>("Outbox");
        services.AddSettings<BillingOptions, BillingOptionsValidator>("Billing");

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<OutboxHealth>();
        // One instance, reachable both as a hosted service and by type (tests wait on its poll count).
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());

        services.AddSingleton<WebhookClient>();
        services.AddHttpClient(WebhookClient.HttpClientName)
            // A redirect would re-send a signed billing event to wherever the peer points; an operator decides that.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddOutboundResilience<WebhookClient>("Webhooks");
        services.AddSingleton<IOutboxHandler, BillingWebhookHandler>();
        return builder;
    }
}
