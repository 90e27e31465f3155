using Azure.Identity;
using EmpowerBot.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// The Azure Table Storage backend's services: its connection (from the validated "Storage" options), the Entra
/// token source for managed identity, and the named HttpClient with the resilience pipeline outside and the
/// signing handler inside (so each retry is signed afresh). Registering costs nothing when SQLite is chosen.
/// </summary>
internal static class AzureTablesRegistration
{
    public static IServiceCollection AddAzureTables(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.ToAzureTablesConnection());
        // DefaultAzureCredential: the App Service managed identity in production (AZURE_CLIENT_ID picks a
        // user-assigned one), a developer's Azure CLI or Visual Studio sign-in on a workstation.
        services.TryAddSingleton(_ => new EntraTokenSource(new DefaultAzureCredential()));
        services.AddHttpClient(AzureTableStore.HttpClientName)
            // A turn makes several storage calls, and their addresses hold tenant and person keys: no log line per
            // request. Retries and an opening circuit are logged by the pipeline; failures reach the caller.
            .RemoveAllLoggers()
            .AddOutboundResilience<AzureTableStore>("Azure Table Storage")
            .AddHttpMessageHandler(sp =>
            {
                var connection = sp.GetRequiredService<AzureTablesConnection>();
                return new TableAuthHandler(connection, connection.UsesAccountKey ? null : sp.GetRequiredService<EntraTokenSource>());
            });
        services.TryAddSingleton(sp => new AzureTableStore(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<AzureTablesConnection>(),
            sp.GetRequiredService<ILogger<AzureTableStore>>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix));
        return services;
    }
}
