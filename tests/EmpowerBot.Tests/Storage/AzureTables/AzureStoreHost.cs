using EmpowerBot.Hosting;
using EmpowerBot.Storage;
using EmpowerBot.Storage.AzureTables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Storage.AzureTables;

/// <summary>
/// The Azure table store composed exactly as the app composes it (options, the SDK's client with its retries set
/// from the "Resilience" section, the named HttpClient under it), without a web host. Retries are quick so failure
/// tests stay short.
/// </summary>
internal sealed class AzureStoreHost : IAsyncDisposable
{
    private AzureStoreHost(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public AzureTableStore Store => (AzureTableStore)Services.GetRequiredService<ITableStore>();

    public static AzureStoreHost Create(
        string connectionString, string tablePrefix = "", Action<ResilienceOptions>? resilience = null, Action<IServiceCollection>? configure = null) =>
        Create(o => (o.ConnectionString, o.TablePrefix) = (connectionString, tablePrefix), resilience, configure);

    public static AzureStoreHost Create(Action<StorageOptions> storage, Action<ResilienceOptions>? resilience = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddOptions<StorageOptions>().Configure(o =>
        {
            o.Provider = StorageOptions.AzureTables;
            storage(o);
        });
        services.AddOptions<ResilienceOptions>().Configure(o =>
        {
            o.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.MaxDelay = TimeSpan.FromMilliseconds(200);
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            resilience?.Invoke(o);
        });
        services.AddTableStore(appRoot: Path.GetTempPath());
        configure?.Invoke(services);
        return new AzureStoreHost(services.BuildServiceProvider(validateScopes: true));
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
