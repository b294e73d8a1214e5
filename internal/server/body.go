package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"

	"github.com/gofiber/fiber/v2"
)

// Request bodies. The server reads bodies as streams (Fiber's
// StreamRequestBody) and limitBodies, the first middleware, bounds them
// before anything reads them: every form takes at most maxFormBytes,
// declared or chunked; only the import centre's upload takes more, and
// its handler streams it to the staging folder part by part. Encoded
// bodies are refused: decompressing a small body into a huge one before
// the login or the token check is the cheapest attack there is.
const (
	// maxFormBytes bounds the body of every request but an upload.
	maxFormBytes = 64 << 10
	// maxUploadBytes bounds a request to the import centre.
	maxUploadBytes = 64 << 20
)

// isUpload tells the import centre's upload, the one request with a
// large body.
func isUpload(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && c.Path() == "/importacoes"
}

var (
	errEncodedBody = fiber.NewError(fiber.StatusUnsupportedMediaType,
		"Envios compactados (Content-Encoding) não são aceitos: envie o formulário sem compressão.")
	errBodyTooLarge = fiber.NewError(fiber.StatusRequestEntityTooLarge, "Envio grande demais para este formulário.")
)

func (s *Server) limitBodies(c *fiber.Ctx) error {
	h := &c.Request().Header
	if ce := h.Peek(fiber.HeaderContentEncoding); len(ce) > 0 && !bytes.EqualFold(bytes.TrimSpace(ce), []byte("identity")) {
		c.Context().SetConnectionClose()
		return errEncodedBody
	}
	limit := maxFormBytes
	if isUpload(c) {
		limit = maxUploadBytes
		// The handler reads the stream; whatever it leaves unread must not
		// be taken for the next request on this connection.
		c.Context().SetConnectionClose()
	}
	n := h.ContentLength()
	if n > limit {
		c.Context().SetConnectionClose()
		return errBodyTooLarge
	}
	stream := c.Context().RequestBodyStream()
	if n >= 0 || stream == nil || isUpload(c) {
		return c.Next()
	}
	// Chunked: read at most the limit, and keep it as the body.
	b, err := io.ReadAll(io.LimitReader(stream, int64(limit)+1))
	if err != nil {
		c.Context().SetConnectionClose()
		return fiber.NewError(fiber.StatusBadRequest, "O envio chegou incompleto; tente de novo.")
	}
	if len(b) > limit {
		c.Context().SetConnectionClose()
		return errBodyTooLarge
	}
	c.Request().SetBody(b)
	return c.Next()
}

// multipartKey keeps the upload's multipart reader between the token check
// and the handler.
const multipartKey = "multipart"

// uploadReader opens the upload's multipart stream, bounded to
// maxUploadBytes whatever its declared length.
func uploadReader(c *fiber.Ctx) (*multipart.Reader, error) {
	if mr, ok := c.Locals(multipartKey).(*multipart.Reader); ok {
		return mr, nil
	}
	_, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || params["boundary"] == "" {
		return nil, errors.New("envie os arquivos pelo formulário (multipart/form-data)")
	}
	var body io.Reader = c.Context().RequestBodyStream()
	if body == nil {
		body = bytes.NewReader(c.Body())
	}
	mr := multipart.NewReader(&cappedReader{r: body, left: maxUploadBytes}, params["boundary"])
	c.Locals(multipartKey, mr)
	return mr, nil
}

// errUploadTooLarge: the stream went past maxUploadBytes.
var errUploadTooLarge = errors.New("o envio passa do limite de 64 MB por vez: divida os arquivos em mais de um envio")

// cappedReader fails, instead of ending quietly, past its limit.
type cappedReader struct {
	r    io.Reader
	left int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errUploadTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// multipartToken reads the csrf field of an upload from the stream. The
// form puts it before the files; a file before it means no token, so the
// upload is never buffered to find one.
func multipartToken(c *fiber.Ctx) string {
	mr, err := uploadReader(c)
	if err != nil {
		return ""
	}
	return csrfPart(mr, true)
}

// csrfPart reads the csrf field of a multipart form; beforeFiles stops at
// the first file (a stream that must not be read past it for a token).
func csrfPart(mr *multipart.Reader, beforeFiles bool) string {
	for {
		p, err := mr.NextPart()
		if err != nil || (beforeFiles && p.FileName() != "") {
			return ""
		}
		if p.FormName() == "csrf" && p.FileName() == "" {
			b, _ := io.ReadAll(io.LimitReader(p, 256))
			return string(b)
		}
	}
}
