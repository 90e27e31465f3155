using System.Text;
using System.Text.Json;
using EmpowerBot.Storage;
using EmpowerBot.Storage.AzureTables;

namespace EmpowerBot.Tests.Storage.AzureTables;

/// <summary>Typed properties to the Table service's OData JSON and back.</summary>
public sealed class TableEntityJsonTests
{
    [Fact]
    public void Each_type_is_written_with_the_annotation_the_service_needs_and_nulls_are_left_out()
    {
        var entity = new TableEntity("p|1", "r'1", new Dictionary<string, object?>
        {
            ["Text"] = "héllo", ["Long"] = 5_000_000_000L, ["Int"] = 42, ["Whole"] = 2.0, ["Nan"] = double.NaN,
            ["Inf"] = double.NegativeInfinity, ["Yes"] = true, ["Gone"] = null,
            ["When"] = new DateTimeOffset(2025, 3, 9, 14, 30, 15, TimeSpan.FromHours(5.5)).AddTicks(1_234_567),
        });

        using var json = JsonDocument.Parse(TableEntityJson.Serialize(entity));
        var root = json.RootElement;

        Assert.Equal(("p|1", "r'1", "héllo"), (root.GetProperty("PartitionKey").GetString(), root.GetProperty("RowKey").GetString(), root.GetProperty("Text").GetString()));
        Assert.False(root.TryGetProperty("Text@odata.type", out _));
        Assert.Equal(("Edm.Int64", "5000000000"), (root.GetProperty("Long@odata.type").GetString(), root.GetProperty("Long").GetString()));
        Assert.Equal(42, root.GetProperty("Int").GetInt32());
        Assert.False(root.TryGetProperty("Int@odata.type", out _));
        Assert.Equal(("Edm.Double", 2.0), (root.GetProperty("Whole@odata.type").GetString(), root.GetProperty("Whole").GetDouble()));
        Assert.Equal(("Edm.Double", "NaN"), (root.GetProperty("Nan@odata.type").GetString(), root.GetProperty("Nan").GetString()));
        Assert.Equal("-Infinity", root.GetProperty("Inf").GetString());
        Assert.True(root.GetProperty("Yes").GetBoolean());
        Assert.Equal(("Edm.DateTime", "2025-03-09T09:00:15.1234567Z"), (root.GetProperty("When@odata.type").GetString(), root.GetProperty("When").GetString()));
        Assert.False(root.TryGetProperty("Gone", out _));
    }

    [Fact]
    public void A_service_answer_reads_back_as_the_contract_types_without_system_properties()
    {
        const string answer = """
            {"odata.metadata":"http://127.0.0.1:10002/devstoreaccount1/$metadata#conformance/@Element","odata.etag":"W/\"datetime'2025-01-01T00%3A00%3A00.0000000Z'\"",
             "PartitionKey":"p","RowKey":"r","Timestamp":"2025-01-01T00:00:00.0000000Z",
             "Text":"12","Long@odata.type":"Edm.Int64","Long":"-9223372036854775808","Int":7,"Whole":2.0,"Exp":1.5E+300,
             "Nan@odata.type":"Edm.Double","Nan":"NaN","Inf@odata.type":"Edm.Double","Inf":"Infinity","No":false,
             "When@odata.type":"Edm.DateTime","When":"2025-03-09T09:00:15.1234567Z","Old@odata.type":"Edm.DateTime","Old":"2008-07-10T00:00:00"}
            """;

        var entity = TableEntityJson.Read(JsonDocument.Parse(answer).RootElement);

        Assert.Equal(("p", "r", "W/\"datetime'2025-01-01T00%3A00%3A00.0000000Z'\""), (entity.PartitionKey, entity.RowKey, entity.ETag));
        Assert.Equal(["Exp", "Inf", "Int", "Long", "Nan", "No", "Old", "Text", "When", "Whole"], entity.Properties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("12", Assert.IsType<string>(entity.Properties["Text"]));
        Assert.Equal(long.MinValue, Assert.IsType<long>(entity.Properties["Long"]));
        Assert.Equal(7L, Assert.IsType<long>(entity.Properties["Int"]));
        Assert.Equal(2.0, Assert.IsType<double>(entity.Properties["Whole"]));
        Assert.Equal(1.5e300, Assert.IsType<double>(entity.Properties["Exp"]));
        Assert.True(double.IsNaN(Assert.IsType<double>(entity.Properties["Nan"])));
        Assert.Equal(double.PositiveInfinity, entity.Properties["Inf"]);
        Assert.False(Assert.IsType<bool>(entity.Properties["No"]));
        Assert.Equal(new DateTimeOffset(2025, 3, 9, 9, 0, 15, TimeSpan.Zero).AddTicks(1_234_567), entity.Properties["When"]);
        Assert.Equal(new DateTimeOffset(2008, 7, 10, 0, 0, 0, TimeSpan.Zero), entity.Properties["Old"]);
    }

    [Fact]
    public void Every_contract_value_round_trips_through_the_json_exactly()
    {
        var written = new TableEntity("p", "r", new Dictionary<string, object?>
        {
            ["S"] = "\"quoted\" \\ 𝄞 \n line", ["Max"] = long.MaxValue, ["Min"] = long.MinValue, ["D"] = 0.1, ["Huge"] = double.MaxValue,
            ["Tiny"] = double.Epsilon, ["PosInf"] = double.PositiveInfinity, ["B"] = false, ["T"] = DateTimeOffset.MaxValue,
        });

        var read = TableEntityJson.Read(JsonDocument.Parse(TableEntityJson.Serialize(written)).RootElement, "etag");

        Assert.Equal(written.Properties.OrderBy(p => p.Key), read.Properties.OrderBy(p => p.Key));
        Assert.Equal("etag", read.ETag);
    }

    [Fact]
    public void Text_stays_utf8_on_one_line()
    {
        var json = Encoding.UTF8.GetString(TableEntityJson.Serialize(new TableEntity("p", "r", new Dictionary<string, object?> { ["T"] = "é✓\n\u2028" })));

        Assert.Equal("""{"PartitionKey":"p","RowKey":"r","T":"é✓\n\u2028"}""", json);
    }

    [Fact]
    public void A_value_type_outside_the_contract_is_refused()
    {
        var entity = new TableEntity("p", "r", new Dictionary<string, object?> { ["Amount"] = 1.5m });

        Assert.Throws<ArgumentException>(() => TableEntityJson.Serialize(entity));
    }

    [Theory]
    [InlineData("""{"PartitionKey":"p","RowKey":"r","G@odata.type":"Edm.Guid","G":"c9da6455-213d-42c9-9a79-3e9149a57833"}""")]
    [InlineData("""{"PartitionKey":"p","RowKey":"r","L@odata.type":"Edm.Int64","L":"twelve"}""")]
    [InlineData("""{"PartitionKey":"p","V":1}""")]
    public void An_entity_the_bot_could_not_have_written_is_invalid_data(string answer)
    {
        Assert.Throws<InvalidDataException>(() => TableEntityJson.Read(JsonDocument.Parse(Encoding.UTF8.GetBytes(answer)).RootElement));
    }
}
