using System.Net;
using System.Net.Sockets;
using EmpowerBot.Storage;
using EmpowerBot.Storage.AzureTables;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Storage;

/// <summary>Storage:* settings: a bad or unreachable store stops the app at start with the key or endpoint to fix.</summary>
public sealed class StorageConfigurationTests
{
    [Theory]
    [InlineData("Mongo", "", "", "Storage:Provider must be Sqlite or AzureTables")]
    [InlineData("AzureTables", "", "", "set Storage:ConnectionString (an account key connection string, or UseDevelopmentStorage=true for Azurite) or Storage:TableEndpoint")]
    [InlineData("AzureTables", "UseDevelopmentStorage=true", "https://contoso.table.core.windows.net", "not both")]
    [InlineData("AzureTables", "AccountName=contoso;AccountKey=!!secret!!", "", "Storage:ConnectionString: AccountKey is not valid base64")]
    [InlineData("AzureTables", "", "http://contoso.table.core.windows.net", "Storage:TableEndpoint must use https")]
    public void A_bad_storage_setting_stops_the_app_at_start_naming_the_key(string provider, string connectionString, string endpoint, string expected)
    {
        // The validator that ValidateOnStart runs, called directly: a host that fails to start under load may
        // surface a disposal race instead of its validation message.
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions
        {
            Provider = provider,
            ConnectionString = connectionString,
            TableEndpoint = endpoint,
        });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
        Assert.DoesNotContain("!!secret!!", result.FailureMessage);
    }

    [Fact]
    public void An_unreachable_table_service_stops_the_app_at_start_naming_the_endpoint_but_no_secret()
    {
        var port = ClosedPort();
        var endpoint = $"http://127.0.0.1:{port}/{AzureTablesConnection.DevelopmentStorageAccount}";
        using var bot = new BotHost(new()
        {
            ["Storage:Provider"] = StorageOptions.AzureTables,
            ["Storage:ConnectionString"] = $"AccountName=devstoreaccount1;AccountKey={AzureTablesConnection.DevelopmentStorageKey};TableEndpoint={endpoint}",
            ["Resilience:MaxRetries"] = "1",
        });

        var error = Assert.ThrowsAny<Exception>(() => bot.CreateClient());

        var unavailable = Assert.IsType<StorageUnavailableException>(Unwrap(error));
        Assert.Contains(endpoint, unavailable.Message);
        Assert.DoesNotContain(AzureTablesConnection.DevelopmentStorageKey, error.ToString());
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerException!) : e;

    /// <summary>A loopback port that nothing listens on (it was free a moment ago).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
