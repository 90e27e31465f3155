using EmpowerBot.Storage.AzureTables;

namespace EmpowerBot.Tests.Storage.AzureTables;

public sealed class AzureTablesConnectionTests
{
    private const string Key = "YSB0ZXN0IGtleSBvZiAzMiBieXRlcywgbm90IHJlYWw=";

    [Fact]
    public void Development_storage_is_azurite_on_its_default_port_with_the_well_known_account()
    {
        var connection = AzureTablesConnection.Parse("UseDevelopmentStorage=true");

        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", connection.ToString());
        Assert.Equal(("devstoreaccount1", true), (connection.AccountName, connection.UsesAccountKey));
        Assert.Equal(Convert.FromBase64String(AzureTablesConnection.DevelopmentStorageKey), connection.AccountKey);
    }

    [Fact]
    public void An_account_connection_string_builds_the_table_endpoint_from_protocol_and_suffix()
    {
        var connection = AzureTablesConnection.Parse($"DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey={Key};EndpointSuffix=core.windows.net");

        Assert.Equal("https://contoso.table.core.windows.net", connection.ToString());
        Assert.Equal("contoso", connection.AccountName);
    }

    [Fact]
    public void Names_are_case_insensitive_suffix_defaults_to_the_public_cloud_and_other_services_are_ignored()
    {
        var connection = AzureTablesConnection.Parse($" accountname=contoso ; ACCOUNTKEY={Key};BlobEndpoint=https://contoso.blob.core.windows.net/;");

        Assert.Equal("https://contoso.table.core.windows.net", connection.ToString());
    }

    [Fact]
    public void An_explicit_table_endpoint_wins_and_keeps_a_path_style_account()
    {
        var connection = AzureTablesConnection.Parse($"AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:12345/devstoreaccount1/");

        Assert.Equal("http://127.0.0.1:12345/devstoreaccount1", connection.ToString());
    }

    [Fact]
    public void An_endpoint_alone_means_entra_tokens_for_the_account_it_names()
    {
        var connection = AzureTablesConnection.FromEndpoint("https://contoso.table.core.windows.net/");

        Assert.Equal(("contoso", false), (connection.AccountName, connection.UsesAccountKey));
        Assert.Equal("https://contoso.table.core.windows.net", connection.ToString());
    }

    [Theory]
    [InlineData("", "Storage:ConnectionString is empty")]
    [InlineData("not a connection string", "part 1 is not of the form Name=value")]
    [InlineData("AccountKey=" + Key, "has no AccountName")]
    [InlineData("AccountName=contoso", "has no AccountKey")]
    [InlineData("AccountName=contoso;AccountKey=***not base64***", "AccountKey is not valid base64")]
    [InlineData("AccountName=contoso;AccountName=other;AccountKey=" + Key, "names AccountName twice")]
    [InlineData("AccountName=contoso;AccountKey=" + Key + ";DefaultEndpointsProtocol=ftp", "DefaultEndpointsProtocol must be https or http")]
    [InlineData("AccountName=contoso;AccountKey=" + Key + ";TableEndpoint=contoso.table", "TableEndpoint must be an absolute http(s) address")]
    [InlineData("UseDevelopmentStorage=false", "UseDevelopmentStorage can only be true")]
    [InlineData("TableEndpoint=https://contoso.table.core.windows.net;SharedAccessSignature=sv=2020&sig=abc", "SharedAccessSignature is not supported")]
    public void A_bad_connection_string_is_refused_naming_the_setting_and_the_part(string connectionString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => AzureTablesConnection.Parse(connectionString));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith("Storage:ConnectionString", error.Message);
    }

    [Fact]
    public void Errors_never_quote_the_key()
    {
        var secret = "c2VjcmV0IGtleQ=!=";

        var error = Assert.Throws<ArgumentException>(() => AzureTablesConnection.Parse($"AccountName=contoso;AccountKey={secret}"));

        Assert.DoesNotContain(secret, error.Message);
        Assert.DoesNotContain(Key, AzureTablesConnection.Parse($"AccountName=contoso;AccountKey={Key}").ToString());
    }

    [Theory]
    [InlineData("http://contoso.table.core.windows.net", "must use https")]
    [InlineData("contoso", "must be an absolute http(s) address")]
    [InlineData("https://contoso.table.core.windows.net/?sv=1", "without query")]
    public void A_bad_table_endpoint_is_refused_naming_the_setting(string endpoint, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => AzureTablesConnection.FromEndpoint(endpoint));

        Assert.StartsWith("Storage:TableEndpoint", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Plain_http_is_allowed_for_tokens_only_on_loopback()
    {
        Assert.Equal("devstoreaccount1", AzureTablesConnection.FromEndpoint("http://127.0.0.1:10002/devstoreaccount1").AccountName);
    }
}
