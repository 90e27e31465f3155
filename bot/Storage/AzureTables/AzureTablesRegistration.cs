using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using EmpowerBot.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// The Azure Table Storage backend's services: the SDK's <see cref="TableServiceClient"/> built from the validated
/// "Storage" options, signing in with the connection string or, with only Storage:TableEndpoint, a Microsoft Entra
/// credential. Registering costs nothing when SQLite is chosen: nothing is built until the store is resolved.
/// </summary>
internal static class AzureTablesRegistration
{
    public static IServiceCollection AddAzureTables(this IServiceCollection services)
    {
        // DefaultAzureCredential: the App Service managed identity in production (AZURE_CLIENT_ID picks a
        // user-assigned one), a developer's Azure CLI or Visual Studio sign-in on a workstation. The SDK's bearer
        // token policy caches the token and refreshes it before it expires.
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddHttpClient(AzureTableStore.HttpClientName)
            // A turn makes several storage calls, and their addresses hold tenant and person keys: no log line per request.
            .RemoveAllLoggers()
            // The SDK times each attempt itself (NetworkTimeout); the client's own 100 s limit would cut across its retries.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var client = AzureTablesConnection.CreateClient(storage, sp.GetRequiredService<TokenCredential>, ClientOptions(sp));
            return new AzureTableStore(client, sp.GetRequiredService<ILogger<AzureTableStore>>(), storage.TablePrefix);
        });
        return services;
    }

    /// <summary>
    /// One retry layer, the SDK's own, set from the "Resilience" section: its pipeline signs each attempt afresh,
    /// rewinds the request body, honours the service's Retry-After hints and knows the table service's transient
    /// answers (408, 429, 500, 502, 503, 504, transport failures), while never retrying a failed condition (409,
    /// 412). The shared Polly pipeline (<see cref="HttpResilience"/>) stays off this client: stacked under the
    /// SDK's retries it would multiply the attempts, and its circuit breaker is given up for this peer.
    /// </summary>
    private static TableClientOptions ClientOptions(IServiceProvider sp)
    {
        var resilience = sp.GetRequiredService<IOptions<ResilienceOptions>>().Value;
        var options = new TableClientOptions
        {
            Transport = new HttpClientTransport(sp.GetRequiredService<IHttpClientFactory>().CreateClient(AzureTableStore.HttpClientName)),
        };
        // The SDK's own request logging and tracing write to EventSource and ActivitySource on every call; this bot's
        // attempts are logged by AttemptLog, and nothing listens to those sources, so a credit's six to ten calls skip them.
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = resilience.MaxRetries;
        options.Retry.Delay = resilience.BaseDelay;
        options.Retry.MaxDelay = resilience.MaxDelay;
        options.Retry.NetworkTimeout = resilience.AttemptTimeout;
        options.AddPolicy(new AttemptLog(sp.GetRequiredService<ILogger<AzureTableStore>>()), HttpPipelinePosition.PerRetry);
        return options;
    }
}
