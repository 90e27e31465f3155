using Azure.Core;
using Azure.Data.Tables;
using EmpowerBot.Storage;
using EmpowerBot.Storage.AzureTables;

namespace EmpowerBot.Tests.Storage.AzureTables;

/// <summary>Storage:ConnectionString and Storage:TableEndpoint as the SDK reads them, refused with the key to fix.</summary>
public sealed class AzureTablesConnectionTests
{
    private const string Key = "YSB0ZXN0IGtleSBvZiAzMiBieXRlcywgbm90IHJlYWw=";

    [Fact]
    public void Development_storage_is_azurite_on_its_default_port_with_the_well_known_account()
    {
        var client = Client(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" });

        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", AzureTablesConnection.Describe(client.Uri));
        Assert.Equal(AzureTablesConnection.DevelopmentStorageAccount, client.AccountName);
    }

    [Fact]
    public void An_explicit_table_endpoint_keeps_a_path_style_account()
    {
        var client = Client(new StorageOptions { ConnectionString = $"AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:12345/devstoreaccount1/" });

        Assert.Equal("http://127.0.0.1:12345/devstoreaccount1", AzureTablesConnection.Describe(client.Uri));
    }

    [Fact]
    public void An_endpoint_alone_signs_in_with_the_credential_and_a_connection_string_never_asks_for_one()
    {
        var asked = 0;
        TokenCredential Credential()
        {
            asked++;
            return new Azure.Identity.DefaultAzureCredential();
        }

        var withKey = AzureTablesConnection.CreateClient(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }, Credential, new TableClientOptions());
        var withToken = AzureTablesConnection.CreateClient(new StorageOptions { TableEndpoint = "https://contoso.table.core.windows.net/" }, Credential, new TableClientOptions());

        Assert.Equal((1, "contoso"), (asked, withToken.AccountName));
        Assert.Equal("devstoreaccount1", withKey.AccountName);
    }

    [Theory]
    [InlineData("not a connection string", "is not a storage connection string")]
    [InlineData("AccountName=contoso", "is not a storage connection string")]
    [InlineData("AccountName=contoso;AccountKey=***not base64***", "AccountKey is not valid base64")]
    [InlineData("AccountName=contoso;AccountName=other;AccountKey=" + Key, "is not a storage connection string")]
    [InlineData("AccountName=contoso;AccountKey=" + Key + ";DefaultEndpointsProtocol=ftp", "DefaultEndpointsProtocol must be https or http")]
    [InlineData("UseDevelopmentStorage=false", "is not a storage connection string")]
    public void A_bad_connection_string_is_refused_naming_the_setting_without_quoting_it(string connectionString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => AzureTablesConnection.Validate(new StorageOptions { ConnectionString = connectionString }));

        Assert.StartsWith("Storage:ConnectionString", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("not a connection string'", error.Message);
        Assert.DoesNotContain("not base64***", error.Message);
    }

    [Theory]
    [InlineData("http://contoso.table.core.windows.net", "must use https")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1", "must use https")]
    [InlineData("contoso", "must be an absolute https address")]
    [InlineData("https://contoso.table.core.windows.net/?sv=1", "without query")]
    public void A_bad_table_endpoint_is_refused_naming_the_setting(string endpoint, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => AzureTablesConnection.Validate(new StorageOptions { TableEndpoint = endpoint }));

        Assert.StartsWith("Storage:TableEndpoint", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_endpoint_shown_in_messages_drops_a_shared_access_signature()
    {
        Assert.Equal("https://contoso.table.core.windows.net",
            AzureTablesConnection.Describe(new Uri("https://contoso.table.core.windows.net/?sv=2020&sig=secret")));
    }

    private static TableServiceClient Client(StorageOptions options) =>
        AzureTablesConnection.CreateClient(options, () => throw new InvalidOperationException("no credential expected"), new TableClientOptions());
}
