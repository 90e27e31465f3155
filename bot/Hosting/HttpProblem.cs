namespace EmpowerBot.Hosting;

/// <summary>How every endpoint of the bot refuses a request: the status and one sentence saying why, as {"error": "…"}.</summary>
public static class HttpProblem
{
    public static IResult Json(int status, string reason) => Results.Json(new { error = reason }, statusCode: status);
}
