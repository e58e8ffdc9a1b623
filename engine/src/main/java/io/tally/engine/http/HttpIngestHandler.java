package io.tally.engine.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.tally.codec.DroppedFields;
import io.tally.codec.Outcome;
import io.tally.engine.audience.Audience;
import io.tally.engine.audience.AudienceCache;
import io.tally.engine.audience.AudienceClassifier;
import io.tally.engine.http.route.Exchange;
import io.tally.engine.http.route.RouteHandler;
import io.tally.engine.http.wire.RequestListener;
import io.tally.engine.http.wire.RequestReader;
import io.tally.engine.http.wire.WireFault;
import io.tally.engine.http.wire.WireHead;
import io.tally.engine.identity.IpAddress;
import io.tally.engine.metrics.Endpoint;
import io.tally.engine.ingest.IngestResult;
import io.tally.engine.metrics.ThrottledErrorLog;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The HTTP side of a connection, one instance each: it keeps the connection's {@link State}s, reads each request's
 * head and what the head decides ({@link HeadChecks}: client address, rate limiter, content type, body limit),
 * hands the body to the request's {@link RouteHandler} (gathered, streamed or dropped, as the route takes it), and
 * writes the route's answer, through this handler as the route's {@link Exchange}, with the CORS and connection
 * headers and in the order of the requests.
 * <p>
 * Requests are read straight from the bytes by the connection's {@link RequestReader}, which calls this handler
 * as its {@link RequestListener}: no request, header or content object is made. The body is not aggregated: a
 * body that arrives in one piece (the usual case for a beacon) is decoded from the very buffer Netty read it
 * into; one that arrives in pieces is gathered in a composite buffer without copying ({@link GatheredBody}). A body past {@code --max-body} is answered 413 as soon as that is known (from
 * {@code Content-Length}, or while counting the pieces) and the rest is discarded, never buffered. Refusals
 * decided from the head (429, 415, 503, a missing {@code Host}) are answered after the body has been read past,
 * so the connection stays usable; under {@code Expect: 100-continue} they are answered at once instead of the
 * 100, and the connection closes. A head the reader refuses (400, 431) or a body whose framing breaks (a bad chunk
 * size) is answered and closes: the reader reads nothing more of the connection.
 * <p>
 * The admin, stats and limits APIs and metrics scrapes are answered on {@link ColdWork}'s threads, never on the
 * event loop, which beacons of this and other connections are waiting for.
 */
public final class HttpIngestHandler extends ChannelInboundHandlerAdapter implements Exchange, RequestListener
{
    static final Object DRAIN = new Object();
    /** Fired when the connection read nothing for {@code --idle-timeout}: closed between requests. */
    static final Object IDLE_TIMEOUT = new Object();

    /** Where the connection is between one request and the next. */
    enum State
    {
        /** No request under way: the last one is answered and read whole. */
        IDLE,
        /** A request's head has been read; its body is being read (gathered, fed, or read past to a refusal). */
        READING,
        /** Answered before its body was read whole (413): the rest of the body is read and dropped. */
        DISCARDING,
        /** Read whole; its answer is being made off the event loop. What the connection sends meanwhile waits unread. */
        WORKING,
        /**
         * A beacon's head is read and its User-Agent is new: it is being classified off the event loop (a parse takes
         * up to milliseconds). The body and what follows wait unread; then the request goes on as {@link #READING}.
         */
        CLASSIFYING
    }

    /** Body bytes still read (and dropped) after an early answer, so the client sees it; past them, close. */
    static final int MAX_DISCARDED_BYTES = 64 * 1024;

    /** When a client should try again after a 503 because the API's queue was full. */
    static final long BUSY_RETRY_SECONDS = 1;
    private static final String BUSY_DETAIL = "the API is busy; retry after " + BUSY_RETRY_SECONDS + " s";

    /** The go-ahead to a client that sent {@code Expect: 100-continue}, in wire form (no headers), shared. */
    private static final ByteBuf CONTINUE = Unpooled.unreleasableBuffer(Unpooled.directBuffer(25)
        .writeBytes("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).asReadOnly());

    private final HttpServices http;
    private final Routes routes;
    private final ColdWork coldWork;
    private final RequestReader reader;
    private final HeadChecks checks;
    private final IpAddress client;
    private final RequestHead request = new RequestHead();
    private final GatheredBody body = new GatheredBody();
    /** A refusal's JSON, made here and written as bytes: one builder per connection. */
    private final StringBuilder errorJson = new StringBuilder(128);
    private final AudienceCache.Probe userAgentProbe = new AudienceCache.Probe();
    /** The request was read whole while its User-Agent was being classified (a beacon without a body). */
    private boolean endedWhileClassifying;
    private final ThrottledErrorLog errors;
    /** False on a rollup worker: events are refused. */
    private final boolean ingests;

    private State state = State.IDLE;
    private boolean flushPending;
    /** The client closed its sending side: once everything it sent is answered, the connection closes. */
    private boolean inputShutdown;
    private ChannelHandlerContext ctx;
    /** The handler of the request under way; null before its head is read. */
    private RouteHandler route;

    /** @param maxLineBytes the longest request line; the headers' limit is the config's {@code maxHeaderBytes} (8 KiB). */
    HttpIngestHandler(final HttpServices http, final ServiceAnswers services, final ColdWork coldWork,
        final int maxLineBytes)
    {
        this.http = http;
        this.routes = new Routes(this, http, services);
        this.ingests = services.ingests();
        this.coldWork = coldWork;
        this.errors = coldWork.errors();
        this.reader = new RequestReader(this, maxLineBytes, http.maxHeaderBytes(), http.readTimeout());
        this.checks = new HeadChecks(http);
        this.client = checks.client();
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        if (ctx.channel().isActive())
        {
            reader.start(ctx);
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress)
        {
            checks.peer(((InetSocketAddress)ctx.channel().remoteAddress()).getAddress());
        }
        reader.start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof ByteBuf))
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        try
        {
            reader.read(ctx.alloc(), (ByteBuf)msg);
        }
        catch (final InternalError fault)
        {
            onMemoryFault(ctx);
        }
    }

    /**
     * The JVM delivers a fault in mapped memory (a journal page the full disk could not back) "soon after" the
     * access, so it may surface here rather than in the append: appends stop until space is back, and the request
     * still gets its 503. Already answered, it may be the 202 of the append that faulted: the connection is closed
     * without flushing, so answers not yet sent are dropped, never sent for a record that may not be there.
     */
    private void onMemoryFault(final ChannelHandlerContext ctx)
    {
        http.freeSpace().markFault();
        releaseBody();
        request.closeAfterAnswer = true;
        if (!request.answered)
        {
            state = State.IDLE;
            request.retryAfterSeconds = IngestResult.JOURNAL_RETRY_SECONDS;
            answer(ctx, Outcome.JOURNAL_UNAVAILABLE, "the journal cannot take events now");
        }
        else
        {
            flushPending = false;
            closeNow(ctx);
        }
    }

    /** Closes the connection now; the reader reads nothing more of it. */
    private void closeNow(final ChannelHandlerContext ctx)
    {
        reader.stop();
        ctx.close();
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        flushIfPending(ctx);
        closeIfAllAnswered(ctx);
    }

    /** After a half-close: closes once the last request is answered and nothing waits, its answers written first. */
    private void closeIfAllAnswered(final ChannelHandlerContext ctx)
    {
        if (inputShutdown && (state == State.IDLE || state == State.DISCARDING) && ctx.channel().isActive())
        {
            flushPending = false;
            reader.stop();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void flushIfPending(final ChannelHandlerContext ctx)
    {
        if (flushPending)
        {
            flushPending = false;
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        releaseBody();
        reader.close();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
    {
        if (evt == DRAIN)
        {
            if (state == State.IDLE)
            {
                closeNow(ctx);
            }
            else
            {
                request.closeAfterAnswer = true;
            }
        }
        else if (evt == IDLE_TIMEOUT)
        {
            if (state == State.IDLE)
            {
                closeNow(ctx);
            }
        }
        else if (evt instanceof ChannelInputShutdownEvent)
        {
            inputShutdown = true;
            closeIfAllAnswered(ctx);
        }
        else
        {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        releaseBody();
        closeNow(ctx);
    }

    /** A request begins: nothing of the last one carries over. */
    private void beginRequest(final long startNanos)
    {
        state = State.READING;
        route = null;
        request.begin(startNanos);
    }

    @Override
    public void onHead(final WireHead head)
    {
        beginRequest(System.nanoTime());
        request.closeAfterAnswer = !head.isKeepAlive() || http.draining().getAsBoolean();
        request.http10 = !head.isHttp11();
        readHead(head);
        request.route = Route.of(request.method, head.target());
        if (request.route != Route.EVENT)
        {
            request.uri = head.target().toString(); // the cold routes read it as a String
        }
        route = routes.of(request.route);
        if (!ingests && (request.route == Route.EVENT || request.route == Route.TRUSTED))
        {
            refuseAsNoIngestNode(); // counted under its endpoint, as every refusal is
        }
        else
        {
            checks.check(head, request);
        }
        if (route.body() == RouteHandler.Body.STREAMED)
        {
            route.onHead();
        }
        if (head.expectsContinue())
        {
            answerExpectation(ctx, head);
        }
        else if (request.refusal == Outcome.BODY_TOO_LARGE)
        {
            answerEarly(ctx);
        }
        if (state == State.READING && request.refusal == null && request.route == Route.EVENT)
        {
            classifyIfNew(ctx);
        }
    }

    /** An event sent to a rollup worker: its body is read past, the answer says where events go. */
    private void refuseAsNoIngestNode()
    {
        route = routes.of(Route.NOT_FOUND);
        request.refuse(Outcome.NOT_AN_INGEST_NODE,
            "this is a cluster's rollup worker, it counts what the ingest nodes forward: send events to an ingest node");
    }

    /**
     * A beacon whose User-Agent has not been seen (lately) waits, unread, while the User-Agent is classified on the
     * classifier's thread; then it is read and ingested as any other, its audience known: a crawler's first event is
     * kept out like its next ones, and the event loop never parses. With the classifier's queue full the beacon goes
     * on at once, its audience unknown (counted); so does one in the seconds after a start, while the analyzer is
     * built.
     */
    private void classifyIfNew(final ChannelHandlerContext ctx)
    {
        final AudienceClassifier audiences = http.audiences();
        request.audience = audiences.find(userAgentProbe.wrap(request.userAgent()));
        if (request.audience != null || !audiences.isReady())
        {
            return; // handed to the ingestor (not looked up twice); or, while the analyzer builds, unclassified
        }
        if (audiences.classify(userAgentProbe.keep(), audience -> afterClassifying(ctx, audience)))
        {
            state = State.CLASSIFYING;
            endedWhileClassifying = false;
            reader.hold();
            setReading(ctx, false);
        }
    }

    /** On the classifier's thread: the User-Agent is cached; the connection goes on on its event loop. */
    private void afterClassifying(final ChannelHandlerContext ctx, final Audience audience)
    {
        try
        {
            ctx.executor().execute(() -> onClassified(ctx, audience));
        }
        catch (final RejectedExecutionException closed)
        {
            // the event loop is shutting down: the connection goes with it
        }
    }

    private void onClassified(final ChannelHandlerContext ctx, final Audience audience)
    {
        if (state != State.CLASSIFYING || !ctx.channel().isActive())
        {
            return;
        }
        state = State.READING;
        request.audience = audience;
        reader.extendDeadline(); // the wait was the engine's: the body still has a whole read timeout
        try
        {
            if (endedWhileClassifying)
            {
                onRequestEnd(ctx);
            }
            reader.resume();
        }
        catch (final InternalError fault)
        {
            onMemoryFault(ctx);
        }
        catch (final RuntimeException failure)
        {
            exceptionCaught(ctx, failure); // run from a task, not from a read: it would not reach the pipeline
            return;
        }
        if (state != State.WORKING && state != State.CLASSIFYING)
        {
            setReading(ctx, true);
        }
        flushIfPending(ctx);
        closeIfAllAnswered(ctx);
    }

    /** What every answer needs of the head: the method (HEAD has no body) and the origin to echo. */
    private void readHead(final WireHead head)
    {
        request.method = head.method();
        request.origin = head.origin().isPresent() ? head.origin() : null;
    }

    @Override
    public void onFault(final WireFault fault)
    {
        if (fault == WireFault.BROKEN_BODY)
        {
            onBrokenBody(ctx);
            return;
        }
        // the head could not be read: the reader reads nothing more of the connection; answer now and close
        beginRequest(System.nanoTime());
        readHead(reader.head());
        state = State.IDLE;
        request.closeAfterAnswer = true;
        if (fault == WireFault.HEAD_TOO_LARGE)
        {
            request.refuse(Outcome.HEADERS_TOO_LARGE, "the request line or headers are too large");
        }
        else
        {
            request.refuse(Outcome.BAD_REQUEST, "malformed HTTP request");
        }
        answerRefusal(ctx);
    }

    /**
     * {@code Expect: 100-continue}: the client waits for a go-ahead before it sends the body. An answer the head
     * decides (a refusal, or a body announced past the limit) goes instead of the 100, as RFC 9110 (10.1.1) asks;
     * whether the client then sends the body anyway is its choice, so the connection closes after the answer.
     * Otherwise 100, and the request goes on as any other.
     */
    private void answerExpectation(final ChannelHandlerContext ctx, final WireHead head)
    {
        if (request.refusal == null && route.body() != RouteHandler.Body.STREAMED)
        {
            checks.refuseIfAnnouncedTooLarge(head, request);
        }
        if (request.refusal == null)
        {
            ctx.writeAndFlush(CONTINUE.duplicate(), ctx.voidPromise());
            return;
        }
        state = State.IDLE;
        request.closeAfterAnswer = true;
        answerRefusal(ctx);
    }

    @Override
    public void onBody(final ByteBuf buffer, final int from, final int to)
    {
        if (state == State.IDLE)
        {
            return;
        }
        if (state == State.DISCARDING || request.refusal != null)
        {
            request.discardedBytes += to - from;
            if (state == State.DISCARDING && request.discardedBytes > MAX_DISCARDED_BYTES)
            {
                state = State.IDLE;
                closeNow(ctx);
            }
        }
        else if (route.body() == RouteHandler.Body.STREAMED)
        {
            route.onPiece(buffer, from, to);
            // a stream may be any length: held to the read timeout between pieces, not as a whole
            reader.extendDeadline();
        }
        else if (route.body() == RouteHandler.Body.GATHERED)
        {
            gather(ctx, buffer, from, to);
        }
    }

    @Override
    public void onEnd()
    {
        if (state == State.CLASSIFYING)
        {
            endedWhileClassifying = true;
        }
        else if (state != State.IDLE)
        {
            onRequestEnd(ctx);
        }
    }

    private void gather(final ChannelHandlerContext ctx, final ByteBuf buffer, final int from, final int to)
    {
        request.bodyBytes += to - from;
        if (request.bodyBytes > checks.bodyLimit(request.route))
        {
            releaseBody();
            request.refuse(Outcome.BODY_TOO_LARGE, checks.bodyTooLargeDetail(request.route));
            answerEarly(ctx);
            return;
        }
        body.add(ctx.alloc(), buffer, from, to);
    }

    /** Answers before the body has been read (413): the rest is read and dropped, then the connection closes. */
    private void answerEarly(final ChannelHandlerContext ctx)
    {
        request.closeAfterAnswer = true;
        answerRefusal(ctx);
        ctx.flush();
    }

    /**
     * The reader could not read the body's framing (a chunk size that is no number, a broken trailer): it reads
     * nothing more of the connection, so pipelined requests behind it are lost. Answered 400 and closed.
     */
    private void onBrokenBody(final ChannelHandlerContext ctx)
    {
        releaseBody();
        request.closeAfterAnswer = true;
        final boolean unanswered = state == State.READING;
        state = State.IDLE;
        if (unanswered)
        {
            request.refuse(Outcome.BAD_REQUEST, "malformed chunked body");
            answerRefusal(ctx);
        }
        else
        {
            closeNow(ctx);
        }
    }

    /**
     * The request under way was not read whole within {@code --read-timeout}: 408 and close. Its head may not have
     * been read yet (nothing of it is known then), or it may have been answered already (a body refused early
     * and still arriving), when the connection just closes. While an answer is made off the loop nothing is
     * read: the wait is the engine's, not the client's, so the next request gets a whole timeout again.
     */
    @Override
    public void onReadTimeout()
    {
        if (state == State.WORKING || state == State.CLASSIFYING)
        {
            // the reader ended the request before its answer went off the loop, or holds it while its User-Agent is
            // classified: nothing of the client's is late
            return;
        }
        releaseBody();
        if (state == State.DISCARDING)
        {
            state = State.IDLE;
            closeNow(ctx);
            return;
        }
        if (state == State.IDLE)
        {
            beginRequest(reader.requestStartNanos());
        }
        state = State.IDLE;
        request.closeAfterAnswer = true;
        request.refuse(Outcome.REQUEST_TIMEOUT, "the request was not read within " + readTimeoutText());
        answerRefusal(ctx);
    }

    private String readTimeoutText()
    {
        final long millis = http.readTimeout().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private void onRequestEnd(final ChannelHandlerContext ctx)
    {
        if (state == State.DISCARDING)
        {
            state = State.IDLE;
            if (request.closeAfterAnswer)
            {
                closeNow(ctx);
            }
            return;
        }
        state = State.IDLE;
        if (request.refusal != null)
        {
            answerRefusal(ctx);
            return;
        }
        route.onRead();
    }

    /**
     * Makes the answer on the API's threads and sends it from the event loop when it is made. The connection
     * reads nothing meanwhile (what was already read waits unread in the reader), so answers leave in the order of
     * the requests.
     * With the API's queue full, 503 at once; after waiting in it past {@code --api-wait}, 503 when its turn comes.
     */
    private void answerOffLoop(final ChannelHandlerContext ctx, final Function<ByteBufAllocator, FullHttpResponse> work)
    {
        state = State.WORKING;
        reader.hold();
        setReading(ctx, false);
        final Endpoint endpoint = request.route.endpoint();
        final boolean taken = coldWork.submit(() ->
        {
            if (ctx.channel().isActive()) // the client may have gone while the task waited: nothing to make then
            {
                deliver(ctx, make(ctx.alloc(), work));
            }
        }, () ->
        {
            http.counters().record(endpoint, Outcome.BUSY);
            deliver(ctx, busy(ctx.alloc()));
        });
        if (!taken)
        {
            state = State.IDLE;
            setReading(ctx, true);
            http.counters().record(endpoint, Outcome.BUSY);
            send(ctx, busy(ctx.alloc()));
            reader.resume();
        }
    }

    private static FullHttpResponse busy(final ByteBufAllocator alloc)
    {
        final FullHttpResponse response = Responses.error(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, Outcome.BUSY,
            BUSY_DETAIL);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, BUSY_RETRY_SECONDS);
        return response;
    }

    private FullHttpResponse make(final ByteBufAllocator alloc, final Function<ByteBufAllocator, FullHttpResponse> work)
    {
        try
        {
            return work.apply(alloc);
        }
        catch (final RuntimeException | Error failure)
        {
            errors.onError(failure);
            return Responses.error(alloc, HttpResponseStatus.INTERNAL_SERVER_ERROR, Outcome.INTERNAL_ERROR,
                "the request failed; the engine's log says why");
        }
    }

    /** Hands a finished answer back to the connection's event loop. */
    private void deliver(final ChannelHandlerContext ctx, final FullHttpResponse response)
    {
        if (ctx.executor().inEventLoop())
        {
            onAnswerMade(ctx, response);
            return;
        }
        try
        {
            ctx.executor().execute(() -> onAnswerMade(ctx, response));
        }
        catch (final RejectedExecutionException closed)
        {
            response.release();
        }
    }

    private void onAnswerMade(final ChannelHandlerContext ctx, final FullHttpResponse response)
    {
        if (state != State.WORKING || !ctx.channel().isActive())
        {
            response.release();
            return;
        }
        state = State.IDLE;
        send(ctx, response);
        resumeReading(ctx);
    }

    /**
     * Reads what waited while the answer was made, in order, then reads again (unless it waits once more). After
     * an answer that closes the connection, what waited is dropped: it would never be answered.
     */
    private void resumeReading(final ChannelHandlerContext ctx)
    {
        try
        {
            if (ctx.channel().isActive() && !closesAfterAnswer())
            {
                reader.resume();
            }
            else
            {
                reader.stop();
            }
        }
        catch (final InternalError fault)
        {
            onMemoryFault(ctx);
        }
        catch (final RuntimeException failure)
        {
            exceptionCaught(ctx, failure); // run from a task, not from a read: it would not reach the pipeline
            return;
        }
        if (state != State.WORKING)
        {
            setReading(ctx, true);
        }
        flushIfPending(ctx);
        closeIfAllAnswered(ctx);
    }

    /** Pauses or resumes reading; after a half-close there is nothing left to read (and epoll refuses the change). */
    private void setReading(final ChannelHandlerContext ctx, final boolean read)
    {
        if (!inputShutdown)
        {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void answerRefusal(final ChannelHandlerContext ctx)
    {
        http.counters().record(request.route.endpoint(), request.refusal);
        answer(ctx, request.refusal, request.refusalDetail);
    }

    /**
     * A refusal, written as bytes ({@link ErrorAnswer}): its JSON is made in the connection's one builder, so a
     * flood of refusals (429s, bad beacons) makes no response object; a 429 or 503 says when to retry.
     */
    private void answer(final ChannelHandlerContext ctx, final Outcome outcome, final CharSequence detail)
    {
        errorJson.setLength(0);
        Responses.errorJson(errorJson, outcome, detail);
        final int status = outcome.httpStatus();
        final long retryAfter = status == 429 || status == 503 ? request.retryAfterSeconds : -1;
        markAnswered();
        recordLatency(status);
        final AnswerBytes.Connection connection = connection();
        write(ctx, ErrorAnswer.encode(ctx.alloc(), outcome, errorJson, retryAfter, request.origin, connection,
            request.method != HttpMethod.HEAD), connection == AnswerBytes.Connection.CLOSE);
    }

    /** The request has its answer: a body still arriving is read past (and dropped). */
    private void markAnswered()
    {
        request.answered = true;
        if (state == State.READING)
        {
            state = State.DISCARDING;
        }
    }

    /** Sends an answer with the CORS and connection headers this request needs. */
    private void send(final ChannelHandlerContext ctx, final FullHttpResponse response)
    {
        markAnswered();
        Cors.allow(response.headers(), request.origin);
        recordLatency(response.status().code());
        final AnswerBytes.Connection connection = connection();
        if (connection == AnswerBytes.Connection.CLOSE)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        else if (connection == AnswerBytes.Connection.KEPT_FOR_HTTP_10)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (response instanceof FileAnswer file)
        {
            sendFile(ctx, file, connection == AnswerBytes.Connection.CLOSE);
            return;
        }
        write(ctx, request.method == HttpMethod.HEAD ? withoutBody(response) : response,
            connection == AnswerBytes.Connection.CLOSE);
    }

    /** A file's answer: its head, the file's bytes straight from the disk (none for HEAD), the end. */
    private void sendFile(final ChannelHandlerContext ctx, final FileAnswer file, final boolean close)
    {
        ctx.write(file.head(), ctx.voidPromise());
        if (request.method != HttpMethod.HEAD)
        {
            ctx.write(file.body(), ctx.voidPromise());
        }
        file.release();
        write(ctx, io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT, close);
    }

    /** The answer to HEAD: the same status and headers (its {@code content-length} too), no body. */
    private static FullHttpResponse withoutBody(final FullHttpResponse response)
    {
        final FullHttpResponse head = response.replace(Unpooled.EMPTY_BUFFER);
        response.release();
        return head;
    }

    private boolean closesAfterAnswer()
    {
        return request.closeAfterAnswer || http.draining().getAsBoolean();
    }

    /**
     * What the answer says of the connection: closed, or, to an HTTP/1.0 client that asked to keep it, kept (it
     * would otherwise take the connection for closed; RFC 9112, 9.3).
     */
    private AnswerBytes.Connection connection()
    {
        if (closesAfterAnswer())
        {
            return AnswerBytes.Connection.CLOSE;
        }
        return request.http10 ? AnswerBytes.Connection.KEPT_FOR_HTTP_10 : AnswerBytes.Connection.KEPT;
    }

    private void recordLatency(final int status)
    {
        http.requestMetrics().record(request.route.endpoint(), status, System.nanoTime() - request.startNanos);
    }

    /** Writes an answer; flushed at the end of the read batch, or now when the connection closes after it. */
    private void write(final ChannelHandlerContext ctx, final Object answer, final boolean close)
    {
        if (close && state == State.IDLE)
        {
            reader.stop();
            ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        }
        else
        {
            ctx.write(answer, ctx.voidPromise());
            flushPending = true;
        }
    }

    @Override
    public RequestHead request()
    {
        return request;
    }

    @Override
    public IpAddress client()
    {
        return client;
    }

    @Override
    public ByteBufAllocator alloc()
    {
        return ctx.alloc();
    }

    @Override
    public GatheredBody body()
    {
        return body;
    }

    @Override
    public void send(final FullHttpResponse response)
    {
        send(ctx, response);
    }

    @Override
    public void accepted(final DroppedFields dropped)
    {
        request.answered = true;
        recordLatency(HttpResponseStatus.ACCEPTED.code());
        final AnswerBytes.Connection connection = connection();
        write(ctx, AcceptedAnswer.encode(ctx.alloc(), request.origin, dropped, connection),
            connection == AnswerBytes.Connection.CLOSE);
    }

    @Override
    public void refuse(final Outcome outcome, final CharSequence detail, final long retryAfterSeconds)
    {
        request.retryAfterSeconds = retryAfterSeconds;
        answer(ctx, outcome, detail);
    }

    @Override
    public void answerOffLoop(final Function<ByteBufAllocator, FullHttpResponse> work)
    {
        answerOffLoop(ctx, work);
    }

    private void releaseBody()
    {
        body.release();
    }
}
