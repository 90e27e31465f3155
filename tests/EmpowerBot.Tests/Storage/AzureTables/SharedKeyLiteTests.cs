using EmpowerBot.Storage.AzureTables;

namespace EmpowerBot.Tests.Storage.AzureTables;

/// <summary>
/// SharedKeyLite signatures against values computed independently (openssl dgst -sha256 -mac HMAC over the
/// documented string-to-sign), so a mistake in the canonical form cannot hide behind the same mistake twice.
/// </summary>
public sealed class SharedKeyLiteTests
{
    [Fact]
    public void A_path_style_emulator_address_names_the_account_twice_in_the_signed_resource()
    {
        var uri = new Uri("http://127.0.0.1:10002/devstoreaccount1/Tables");

        var resource = SharedKeyLite.CanonicalizedResource("devstoreaccount1", uri);
        var header = SharedKeyLite.Authorization("devstoreaccount1", Convert.FromBase64String(AzureTablesConnection.DevelopmentStorageKey),
            "Mon, 23 Nov 2026 04:02:11 GMT", uri);

        Assert.Equal("/devstoreaccount1/devstoreaccount1/Tables", resource);
        Assert.Equal("SharedKeyLite devstoreaccount1:apqsLQqm6U18LuwUKR1WIfovB9xWRVuoqUlsVwTRJYc=", header);
    }

    [Fact]
    public void A_host_style_entity_address_is_signed_with_its_path_still_percent_encoded()
    {
        var key = Convert.FromBase64String("YSB0ZXN0IGtleSBvZiAzMiBieXRlcywgbm90IHJlYWw=");
        var uri = new Uri($"https://myaccount.table.core.windows.net/mytable(PartitionKey='{TableRequests.EscapeKey("a|b")}',RowKey='{TableRequests.EscapeKey("it's")}')");

        var stringToSign = SharedKeyLite.StringToSign("Sun, 11 Oct 2009 21:49:13 GMT", SharedKeyLite.CanonicalizedResource("myaccount", uri));

        Assert.Equal("Sun, 11 Oct 2009 21:49:13 GMT\n/myaccount/mytable(PartitionKey='a%7Cb',RowKey='it%27%27s')", stringToSign);
        Assert.Equal("EevGBrJ3xZtmHEthQ3gMIdI8FdHm7/fQFZp4yP7Ft5w=", SharedKeyLite.Signature(key, stringToSign));
    }

    [Fact]
    public void Only_the_comp_parameter_of_the_query_is_part_of_the_signed_resource()
    {
        var uri = new Uri("https://myaccount.table.core.windows.net/?restype=service&comp=properties");
        var query = new Uri("https://myaccount.table.core.windows.net/mytable()?$filter=PartitionKey%20eq%20'a'&NextRowKey=1");

        Assert.Equal("/myaccount/?comp=properties", SharedKeyLite.CanonicalizedResource("myaccount", uri));
        Assert.Equal("/myaccount/mytable()", SharedKeyLite.CanonicalizedResource("myaccount", query));
    }
}
