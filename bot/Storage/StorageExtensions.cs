using EmpowerBot.Hosting;
using EmpowerBot.Storage.AzureTables;
using EmpowerBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Storage;

public static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder, string appRoot)
    {
        builder.Services.AddTableStore(appRoot);
        builder.Services.AddHostedService<TableSetup>();
        return builder;
    }

    /// <summary>
    /// The store named by Storage:Provider, chosen when first resolved, once configuration is complete and validated.
    /// </summary>
    internal static IServiceCollection AddTableStore(this IServiceCollection services, string appRoot)
    {
        services.AddSettings<StorageOptions, StorageOptionsValidator>("Storage");
        services.AddAzureTables();
        services.AddSingleton<ITableStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.UsesAzureTables
                ? sp.GetRequiredService<AzureTableStore>()
                : new SqliteTableStore(AppRoot.Resolve(appRoot, options.SqlitePath), sp.GetRequiredService<ILogger<SqliteTableStore>>());
        });
        return services;
    }
}
