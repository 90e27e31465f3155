using System.Text;
using EmpowerBot.Storage;
using EmpowerBot.Storage.AzureTables;

namespace EmpowerBot.Tests.Storage.AzureTables;

/// <summary>The $batch body and the reading of its answers, in the shapes of the REST documentation.</summary>
public sealed class TableBatchTests
{
    private const string Endpoint = "https://contoso.table.core.windows.net";

    private static readonly TableOperation[] Ops =
    [
        TableOperation.Insert(new TableEntity("p", "a")),
        TableOperation.Replace(new TableEntity("p", "b"), "W/\"1\""),
        TableOperation.Delete("p", "c", "*"),
    ];

    [Fact]
    public async Task The_body_is_one_changeset_of_embedded_requests_in_operation_order()
    {
        var requests = Ops.Select(op => TableRequests.For(Endpoint, "budgets", op, op.Kind == TableOperationKind.Delete ? null : TableEntityJson.Serialize(op.Entity))).ToList();

        using var content = TableBatch.Build(requests);
        var body = await content.ReadAsStringAsync();
        var boundary = content.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value!;

        Assert.Equal("multipart/mixed", content.Headers.ContentType.MediaType);
        Assert.StartsWith($"--{boundary}\r\nContent-Type: multipart/mixed; boundary=changeset_", body);
        Assert.EndsWith($"--{boundary}--\r\n", body);
        var lines = body.Split("\r\n");
        Assert.Equal(
            [$"POST {Endpoint}/budgets HTTP/1.1", $"PUT {Endpoint}/budgets(PartitionKey='p',RowKey='b') HTTP/1.1", $"DELETE {Endpoint}/budgets(PartitionKey='p',RowKey='c') HTTP/1.1"],
            lines.Where(l => l.EndsWith(" HTTP/1.1")));
        Assert.Equal(["If-Match: W/\"1\"", "If-Match: *"], lines.Where(l => l.StartsWith("If-Match:")));
        Assert.Contains("""{"PartitionKey":"p","RowKey":"a"}""", lines);
    }

    [Fact]
    public void A_committed_batch_yields_each_operations_etag_and_null_for_the_delete()
    {
        var answer = Answer(
            Part("HTTP/1.1 204 No Content", "ETag: W/\"datetime'2025-01-01T00%3A00%3A00.1Z'\""),
            Part("HTTP/1.1 204 No Content", "ETag: W/\"datetime'2025-01-01T00%3A00%3A00.2Z'\""),
            Part("HTTP/1.1 204 No Content"));

        var etags = TableFailures.BatchOutcome(TableBatch.ParseResponse(answer.ContentType, answer.Body), Ops, "budgets", Endpoint);

        Assert.Equal(["W/\"datetime'2025-01-01T00%3A00%3A00.1Z'\"", "W/\"datetime'2025-01-01T00%3A00%3A00.2Z'\"", null], etags);
    }

    [Theory]
    [InlineData("HTTP/1.1 409 Conflict", "EntityAlreadyExists", "0:The specified entity already exists.", 0, ConflictReason.EntityExists)]
    [InlineData("HTTP/1.1 412 Precondition Failed", "UpdateConditionNotSatisfied", "1:The update condition specified in the request was not satisfied.", 1, ConflictReason.PreconditionFailed)]
    [InlineData("HTTP/1.1 404 Not Found", "ResourceNotFound", "2:The specified resource does not exist.", 2, ConflictReason.NotFound)]
    public void A_failed_batch_names_the_failing_operation_and_why(string status, string code, string message, int index, ConflictReason reason)
    {
        var body = "{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"" + message +
            "\\nRequestId:5e3a\\nTime:2025-01-01T00:00:00.0000000Z\"}}}";
        var answer = Answer(Part(status, "Content-Type: application/json;odata=minimalmetadata;streaming=true;charset=utf-8", "", body));

        var conflict = Assert.Throws<StorageConflictException>(() => TableFailures.BatchOutcome(TableBatch.ParseResponse(answer.ContentType, answer.Body), Ops, "budgets", Endpoint));

        Assert.Equal((index, reason), (conflict.OperationIndex, conflict.Reason));
    }

    [Fact]
    public void Without_an_index_in_the_message_the_content_id_names_the_operation()
    {
        var answer = Answer(Part("HTTP/1.1 412 Precondition Failed", "Content-ID: 2", "", """{"odata.error":{"code":"UpdateConditionNotSatisfied","message":{"value":"stale"}}}"""));

        var conflict = Assert.Throws<StorageConflictException>(() => TableFailures.BatchOutcome(TableBatch.ParseResponse(answer.ContentType, answer.Body), Ops, "budgets", Endpoint));

        Assert.Equal(1, conflict.OperationIndex);
    }

    [Fact]
    public void A_refused_argument_inside_a_batch_is_an_argument_exception()
    {
        var answer = Answer(Part("HTTP/1.1 400 Bad Request", "", """{"odata.error":{"code":"PropertyValueTooLarge","message":{"value":"1:The property value exceeds the maximum allowed size (64KB)."}}}"""));

        var error = Assert.Throws<ArgumentException>(() => TableFailures.BatchOutcome(TableBatch.ParseResponse(answer.ContentType, answer.Body), Ops, "budgets", Endpoint));

        Assert.Contains("operation 1", error.Message);
        Assert.Contains("PropertyValueTooLarge", error.Message);
    }

    [Theory]
    [InlineData(null, "--batchresponse_1--")]
    [InlineData("multipart/mixed; boundary=batchresponse_1", "--batchresponse_1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n")]
    [InlineData("multipart/mixed; boundary=batchresponse_1", "--batchresponse_1\r\nContent-Type: application/http\r\n\r\nnot a status line\r\n--batchresponse_1--\r\n")]
    [InlineData("multipart/mixed; boundary=batchresponse_1", "--batchresponse_1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--batchresponse_1--\r\n")]
    [InlineData("multipart/mixed; boundary=batchresponse_1", "--batchresponse_1--\r\n")]
    public void A_malformed_answer_is_invalid_data(string? contentType, string body)
    {
        Assert.Throws<InvalidDataException>(() => TableBatch.ParseResponse(contentType, body));
    }

    [Fact]
    public void An_answer_that_does_not_account_for_every_operation_is_unavailability_not_success()
    {
        var answer = Answer(Part("HTTP/1.1 204 No Content", "ETag: W/\"1\""));
        var unnamed = Answer(Part("HTTP/1.1 409 Conflict", "", """{"odata.error":{"code":"EntityAlreadyExists","message":{"value":"exists"}}}"""));

        var missing = Assert.Throws<StorageUnavailableException>(() => TableFailures.BatchOutcome(TableBatch.ParseResponse(answer.ContentType, answer.Body), Ops, "budgets", Endpoint));
        Assert.Throws<StorageUnavailableException>(() => TableFailures.BatchOutcome(TableBatch.ParseResponse(unnamed.ContentType, unnamed.Body), Ops, "budgets", Endpoint));

        Assert.Contains(Endpoint, missing.Message);
    }

    private static string Part(string status, params string[] headersAndBody) =>
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" + status + "\r\n" +
        string.Join("\r\n", headersAndBody.Where(h => h.Length > 0 || headersAndBody.Length > 1)) + "\r\n";

    /// <summary>A 202 body as the documentation shows it: a batch part holding a changeset of HTTP responses.</summary>
    private static (string ContentType, string Body) Answer(params string[] parts)
    {
        var body = new StringBuilder("--batchresponse_e69b1c6c\r\nContent-Type: multipart/mixed; boundary=changesetresponse_f27df7e4\r\n\r\n");
        foreach (var part in parts)
        {
            body.Append("--changesetresponse_f27df7e4\r\n").Append(part).Append("\r\n");
        }
        body.Append("--changesetresponse_f27df7e4--\r\n--batchresponse_e69b1c6c--\r\n");
        return ("multipart/mixed; boundary=batchresponse_e69b1c6c", body.ToString());
    }
}
